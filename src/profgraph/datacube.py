"""The integrity constraints of the W3C RDF Data Cube recommendation (IC-1 to IC-19), checked
with SPARQL ASK queries over a profgraph dataset.

The recommendation (https://www.w3.org/TR/vocab-data-cube/#wf-rules) states each constraint as an
ASK query that is true when the constraint is violated, over the graph after its normalization
algorithm (phase 1: type and property closure; phase 2: attributes and dimensions pushed down to
the observations). :func:`violations` copies the dataset's graphs (ontology and data) into one
in-memory graph, normalizes it with :data:`NORMALIZE` and runs :data:`CONSTRAINTS`. IC-20 and
IC-21 (hierarchical code lists) are left out: profgraph's code lists are concept schemes.

The queries follow the recommendation's, but for one point: IC-17's ``HAVING`` repeats the
aggregate instead of naming its ``SELECT`` alias, which SPARQL 1.1 does not bring into scope there
(engines that follow it, Oxigraph among them, would never see the constraint violated).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for annotations; the functions import pyoxigraph where they use it
    from pyoxigraph import Quad, Store

PREFIXES = """PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX qb:   <http://purl.org/linked-data/cube#>
"""

NORMALIZE = PREFIXES + """
# Phase 1: type and property closure
INSERT { ?o rdf:type qb:Observation } WHERE { [] qb:observation ?o } ;
INSERT { ?o rdf:type qb:Observation } WHERE { ?o qb:dataSet [] } ;
INSERT { ?s rdf:type qb:Slice } WHERE { [] qb:slice ?s } ;
INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:DimensionProperty } WHERE { ?cs qb:dimension ?p } ;
INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:MeasureProperty } WHERE { ?cs qb:measure ?p } ;
INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:AttributeProperty } WHERE { ?cs qb:attribute ?p } ;
# Phase 2: push down attachment levels
INSERT { ?obs ?comp ?value } WHERE {
  ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:DataSet .
  ?dataset qb:structure [ qb:component ?spec ] ; ?comp ?value .
  ?obs qb:dataSet ?dataset .
} ;
INSERT { ?obs ?comp ?value } WHERE {
  ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:Slice .
  ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
  ?slice ?comp ?value ; qb:observation ?obs .
} ;
INSERT { ?obs ?comp ?value } WHERE {
  ?spec qb:componentProperty ?comp .
  ?comp a qb:DimensionProperty .
  ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
  ?slice ?comp ?value ; qb:observation ?obs .
} ;
INSERT { ?obs ?comp ?value } WHERE {
  ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:MeasureProperty .
  ?dataset qb:structure [ qb:component ?spec ] .
  ?comp a qb:AttributeProperty .
  ?measure a qb:MeasureProperty ; ?comp ?value .
  ?obs qb:dataSet ?dataset ; ?measure [] .
}
"""

# name -> (what the constraint requires, the ASK queries that are true when it is violated)
CONSTRAINTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "IC-1": ("every qb:Observation has exactly one qb:dataSet", ("""
ASK {
  { ?obs a qb:Observation . FILTER NOT EXISTS { ?obs qb:dataSet ?dataset } }
  UNION
  { ?obs a qb:Observation ; qb:dataSet ?first, ?second . FILTER (?first != ?second) }
}""",)),
    "IC-2": ("every qb:DataSet has exactly one qb:structure", ("""
ASK {
  { ?dataset a qb:DataSet . FILTER NOT EXISTS { ?dataset qb:structure ?dsd } }
  UNION
  { ?dataset a qb:DataSet ; qb:structure ?first, ?second . FILTER (?first != ?second) }
}""",)),
    "IC-3": ("every data structure definition includes a measure", ("""
ASK {
  ?dsd a qb:DataStructureDefinition .
  FILTER NOT EXISTS { ?dsd qb:component [ qb:componentProperty [ a qb:MeasureProperty ] ] }
}""",)),
    "IC-4": ("every dimension has a declared rdfs:range", ("""
ASK { ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?dim rdfs:range [] } }""",)),
    "IC-5": ("every dimension with range skos:Concept has a qb:codeList", ("""
ASK { ?dim a qb:DimensionProperty ; rdfs:range skos:Concept . FILTER NOT EXISTS { ?dim qb:codeList [] } }""",)),
    "IC-6": ("only attributes may be optional", ("""
ASK {
  ?dsd qb:component ?spec .
  ?spec qb:componentRequired "false"^^xsd:boolean ; qb:componentProperty ?component .
  FILTER NOT EXISTS { ?component a qb:AttributeProperty }
}""",)),
    "IC-7": ("every slice key belongs to a data structure definition", ("""
ASK { ?key a qb:SliceKey . FILTER NOT EXISTS { [ a qb:DataStructureDefinition ] qb:sliceKey ?key } }""",)),
    "IC-8": ("the properties of a slice key are components of its structure", ("""
ASK {
  ?key a qb:SliceKey ; qb:componentProperty ?property .
  ?dsd qb:sliceKey ?key .
  FILTER NOT EXISTS { ?dsd qb:component [ qb:componentProperty ?property ] }
}""",)),
    "IC-9": ("every slice has exactly one qb:sliceStructure", ("""
ASK {
  { ?slice a qb:Slice . FILTER NOT EXISTS { ?slice qb:sliceStructure ?key } }
  UNION
  { ?slice a qb:Slice ; qb:sliceStructure ?first, ?second . FILTER (?first != ?second) }
}""",)),
    "IC-10": ("every slice has a value for each dimension of its slice key", ("""
ASK { ?slice qb:sliceStructure [ qb:componentProperty ?dim ] . FILTER NOT EXISTS { ?slice ?dim [] } }""",)),
    "IC-11": ("every observation has a value for every dimension", ("""
ASK {
  ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty .
  FILTER NOT EXISTS { ?obs ?dim [] }
}""",)),
    "IC-12": ("no two observations of a data set have the same values for all dimensions", ("""
ASK {
  FILTER (?allEqual)
  {
    SELECT (MIN(?equal) AS ?allEqual) WHERE {
      ?first qb:dataSet ?dataset .
      ?second qb:dataSet ?dataset .
      FILTER (?first != ?second)
      ?dataset qb:structure/qb:component/qb:componentProperty ?dim .
      ?dim a qb:DimensionProperty .
      ?first ?dim ?firstValue .
      ?second ?dim ?secondValue .
      BIND (?firstValue = ?secondValue AS ?equal)
    } GROUP BY ?first ?second
  }
}""",)),
    "IC-13": ("every observation has a value for every required attribute", ("""
ASK {
  ?obs qb:dataSet/qb:structure/qb:component ?spec .
  ?spec qb:componentRequired "true"^^xsd:boolean ; qb:componentProperty ?attribute .
  FILTER NOT EXISTS { ?obs ?attribute [] }
}""",)),
    "IC-14": ("every observation of a cube without qb:measureType has a value for every measure", ("""
ASK {
  ?obs qb:dataSet/qb:structure ?dsd .
  FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }
  ?dsd qb:component/qb:componentProperty ?measure .
  ?measure a qb:MeasureProperty .
  FILTER NOT EXISTS { ?obs ?measure [] }
}""",)),
    "IC-15": ("an observation of a measure-dimension cube has a value for its qb:measureType", ("""
ASK {
  ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure .
  ?dsd qb:component/qb:componentProperty qb:measureType .
  FILTER NOT EXISTS { ?obs ?measure [] }
}""",)),
    "IC-16": ("an observation of a measure-dimension cube has no other measure than its qb:measureType", ("""
ASK {
  ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?measure ; ?other [] .
  ?dsd qb:component/qb:componentProperty qb:measureType ; qb:component/qb:componentProperty ?other .
  ?other a qb:MeasureProperty .
  FILTER (?other != ?measure)
}""",)),
    "IC-17": ("a measure-dimension cube has an observation for every measure at each point", ("""
ASK {
  {
    SELECT ?measures (COUNT(?second) AS ?count) WHERE {
      {
        SELECT ?dsd (COUNT(?measure) AS ?measures) WHERE {
          ?dsd qb:component/qb:componentProperty ?measure .
          ?measure a qb:MeasureProperty .
        } GROUP BY ?dsd
      }
      ?first qb:dataSet/qb:structure ?dsd ; qb:dataSet ?dataset ; qb:measureType ?firstMeasure .
      ?second qb:dataSet ?dataset ; qb:measureType ?secondMeasure .
      FILTER NOT EXISTS {
        ?dsd qb:component/qb:componentProperty ?dim .
        FILTER (?dim != qb:measureType)
        ?dim a qb:DimensionProperty .
        ?first ?dim ?firstValue .
        ?second ?dim ?secondValue .
        FILTER (?firstValue != ?secondValue)
      }
    } GROUP BY ?first ?measures
    HAVING (COUNT(?second) != ?measures)
  }
}""",)),
    "IC-18": ("every observation of a slice of a data set belongs to that data set", ("""
ASK {
  ?dataset qb:slice ?slice .
  ?slice qb:observation ?obs .
  FILTER NOT EXISTS { ?obs qb:dataSet ?dataset }
}""",)),
    "IC-19": ("every value of a coded dimension is a concept of its code list", ("""
ASK {
  ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty ; qb:codeList ?list .
  ?list a skos:ConceptScheme .
  ?obs ?dim ?value .
  FILTER NOT EXISTS { ?value a skos:Concept ; skos:inScheme ?list }
}""", """
ASK {
  ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
  ?dim a qb:DimensionProperty ; qb:codeList ?list .
  ?list a skos:Collection .
  ?obs ?dim ?value .
  FILTER NOT EXISTS { ?value a skos:Concept . ?list skos:member+ ?value }
}""")),
}


def normalized(quads: Iterable[Quad]) -> Store:
    """Return an in-memory :class:`pyoxigraph.Store` whose default graph holds the triples of
    ``quads`` (from any graphs), normalized by :data:`NORMALIZE`."""
    from pyoxigraph import Quad, Store

    store = Store()
    store.bulk_extend(Quad(quad.subject, quad.predicate, quad.object) for quad in quads)
    store.update(NORMALIZE)
    return store


def violations(quads: Iterable[Quad], normalize: bool = True) -> dict[str, str]:
    """Return the integrity constraints that the triples of ``quads`` violate, as ``{name: what it
    requires}`` in the order IC-1..IC-19; empty when the data cube is well-formed.

    ``normalize=False`` checks the triples as they are, without the normalization algorithm (a
    stricter test: the data need then state what normalization would infer).
    """
    from pyoxigraph import Quad, Store

    if normalize:
        store = normalized(quads)
    else:
        store = Store()
        store.bulk_extend(Quad(quad.subject, quad.predicate, quad.object) for quad in quads)
    return {name: requirement for name, (requirement, queries) in CONSTRAINTS.items()
            if any(bool(store.query(PREFIXES + query)) for query in queries)}
