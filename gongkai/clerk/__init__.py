"""clerk."""
