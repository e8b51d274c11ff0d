"""mkdocs-macros adapter: ``define_env`` only registers the guide's macros."""


def define_env(env):
    pass
