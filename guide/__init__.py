"""The guide's own logic, engine-free: plain Python that imports no MkDocs,
Material, mkdocs-static-i18n or mkdocs-macros module (tests/test_boundary.py
enforces it), so it outlives the engine.

- ``guide.data``: models and loading of ``data/*.yml``;
- ``guide.render``: the data boxes (templates), locale helpers;
- ``guide.pages``: page notices and dates, language of parts, links, page metadata;
- ``guide.search``: the per-language search indexes;
- ``guide.publish``: PDFs, offline archive, downloads manifest, fonts;
- ``guide.editorial``: translation status and parity checks;
- ``guide.siteconfig`` reads mkdocs.yml; ``guide.engine`` is the one place that
  runs the site engine.

The adapters are ``macros/__init__.py`` (mkdocs-macros) and ``hooks/`` (MkDocs
hooks); the commands are in ``tools/``.
"""
