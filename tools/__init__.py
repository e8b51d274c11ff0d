"""The guide's own tooling: one command (``guide`` / ``python -m tools``) for the
multilingual chores. Plain Python; nothing here imports MkDocs internals except
the engine adapter in ``tools.engine``."""
