"""DCAT documents that RDF harvesters read: the catalog and each dataset in Turtle, JSON-LD and
RDF/XML, with distributions, license and ``dct:conformsTo`` the standard schema."""

import pytest
from django.test import Client
from rdflib import Graph, URIRef, namespace

from jichitai.opendata.tests.factories import dataset, published

pytestmark = pytest.mark.django_db

FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "xml": "xml", "rdf": "xml"}


@pytest.mark.parametrize("extension", ["ttl", "jsonld", "xml", "rdf"])
def test_the_catalog_lists_only_published_datasets(tsu, extension):
    published(tsu, "tsu-aed", title="AED設置箇所一覧(津市)")
    dataset(tsu, "tsu-draft", title="作成中")

    response = Client().get(f"/catalog.{extension}")

    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=FORMATS[extension])
    titles = {str(o) for o in graph.objects(None, namespace.DCTERMS.title)}
    assert "AED設置箇所一覧(津市)" in titles
    assert "作成中" not in titles
    assert len(list(graph.subjects(namespace.RDF.type, namespace.DCAT.Dataset))) == 1


def test_a_dataset_document_carries_distribution_license_publisher_and_conforms_to(tsu):
    created = published(tsu, "tsu-aed", tags=["AED"])

    response = Client().get("/dataset/tsu-aed.ttl")

    graph = Graph().parse(data=response.content, format="turtle")
    subject = URIRef(f"http://testserver/dataset/{created.ckan_id}")
    assert (subject, namespace.RDF.type, namespace.DCAT.Dataset) in graph
    assert str(graph.value(subject, namespace.DCAT.keyword)) == "AED"
    distribution = graph.value(subject, namespace.DCAT.distribution)
    assert str(graph.value(distribution, namespace.DCTERMS.license)).startswith(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert str(graph.value(distribution, namespace.DCTERMS.conformsTo)).endswith(
        "/opendata/standards/aed/legacy.json"
    )
    assert str(graph.value(distribution, namespace.DCAT.downloadURL)).startswith(
        "http://testserver/dataset/"
    )
    publisher = graph.value(subject, namespace.DCTERMS.publisher)
    assert str(graph.value(publisher, namespace.DCTERMS.identifier)) == "242012"


def test_the_conforms_to_address_serves_the_table_schema(tsu):
    response = Client().get("/opendata/standards/aed/legacy.json")

    assert response.status_code == 200
    assert response.json()["title"] == "AED設置箇所一覧"
    assert Client().get("/opendata/standards/aed/nothing.json").status_code == 404
    assert Client().get("/opendata/standards/unknown/current.json").status_code == 404


def test_a_private_dataset_has_no_dcat_document(tsu):
    dataset(tsu, "tsu-draft")

    assert Client().get("/dataset/tsu-draft.ttl").status_code == 404
