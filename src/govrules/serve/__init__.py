"""The HTTP decision service and the office's web page (`govrules serve`)."""
