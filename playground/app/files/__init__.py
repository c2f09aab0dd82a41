"""Files of the window: points (CSV), projects, pictures and code, recovery, examples."""
