"""What the core knows of the theme's markup (plain Python, no engine import)."""
