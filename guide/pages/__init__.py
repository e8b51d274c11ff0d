"""Per-page logic: reader notices and git dates, language of parts, safe links, page metadata, accessibility fixes."""
