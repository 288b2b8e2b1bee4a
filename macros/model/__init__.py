"""The model of data/: schema, YAML reader, loading, cross-checks, the frozen store.

No MkDocs here."""
