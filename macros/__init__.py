"""The talks fact site: data/ in, pages out. See macros/ARCHITECTURE.md for the layout."""
