"""Rendering of the data boxes (Jinja templates in ``templates/``) and locale helpers."""
