"""The web layer: the HTTP app and its routes, the SPARQL endpoint, the Jinja templates, the graph
view, the static site, the printable plan and the kk/ru/en texts they show."""
