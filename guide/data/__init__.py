"""Data models (pydantic) and loading of ``data/*.yml``."""
