"""The media types of the result and RDF formats profgraph serves and reads.

:data:`MEDIA_TYPES`: each format's name (as ``--format`` and the SPARQL endpoint name them) -> its
media type; :data:`ACCEPTED`: the media types clients and servers send -> the format they mean."""

MEDIA_TYPES = {  # format name -> the media type it is served as
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
ACCEPTED = {  # a media type a client accepts or a server answers with -> format name
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
    "text/turtle": "ttl", "application/x-turtle": "ttl", "application/turtle": "ttl",
    "text/n3": "ttl", "text/rdf+n3": "ttl", "application/n3": "ttl",  # Turtle is N3
    "application/n-triples": "nt", "text/plain": "nt",
    "application/ld+json": "jsonld", "application/x-json+ld": "jsonld", "application/rdf+xml": "rdfxml",
}
