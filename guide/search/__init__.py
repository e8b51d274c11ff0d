"""The per-language search indexes."""
