"""The talks fact site: data/ in, pages out. See the README's "How it works" for the layout."""
