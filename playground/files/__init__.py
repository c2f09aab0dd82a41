"""Reading untrusted files safely and writing files atomically: the primitives every loader
and saver uses (regular files only, size caps, zips, .npy, JSON, one LoadError). Standard
library and NumPy only, so both ``data`` (CSV points) and ``io`` (our formats) can use them."""
