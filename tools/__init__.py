"""The guide's commands: one command line (``guide`` / ``python -m tools``) for the
multilingual chores, the release and the benchmark. Thin: the logic is in the
engine-free core, ``guide``; the MkDocs adapters are ``macros/`` and ``hooks/``."""
