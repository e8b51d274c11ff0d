"""Editorial checks: translation status and structural parity of the two languages."""
