"""storeops: store-opening projects as YAML files in git."""

__version__ = "0.1.0"
