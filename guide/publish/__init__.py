"""Publishing: PDFs, offline archive, downloads manifest, self-hosted fonts."""
