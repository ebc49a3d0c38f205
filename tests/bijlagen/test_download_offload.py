"""Downloads off the web workers: behind nginx (DOWNLOADS_X_ACCEL_PREFIX) the view answers with
X-Accel-Redirect to nginx's internal location; on S3 with a presigned URL valid for a minute.
Both only after the access check and the audit record; the virus-scan rule (409) and the 404s
stay. S3 is moto in server mode (a real HTTP S3 API on 127.0.0.1), the way the production
smoke runs it; the application's code path is the one for real S3."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import boto3
import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import BijlageInzage, Inzage
from bijlagen.models import Bijlage, ScanStatus
from tests.bijlagen import bestanden as b
from tests.helpers import login

pytestmark = pytest.mark.django_db
INHOUD = b.pdf(b"geheim verslag")


def upload(client, world, naam="Verslag école.pdf") -> Bijlage:
    login(client, world.coordinator_a)
    response = client.post(
        reverse("bijlagen:lijst", args=[world.hv_a_ingediend.pk]),
        {"bestanden": [SimpleUploadedFile(naam, INHOUD)]},
    )
    assert response.status_code == 302
    return Bijlage.objects.get()


def download(client, bijlage, **meta):
    return client.get(reverse("bijlagen:download", args=[bijlage.hulpvraag_id, bijlage.pk]), **meta)


# --- Local disk behind nginx -----------------------------------------------------------------


@pytest.fixture
def x_accel(settings):
    settings.DOWNLOADS_X_ACCEL_PREFIX = "/_bijlagen/"
    return settings


def test_behind_nginx_the_view_hands_the_file_to_nginx_after_the_record(client, world, x_accel):
    bijlage = upload(client, world)
    response = download(client, bijlage, REMOTE_ADDR="192.0.2.8")
    assert response.status_code == 200
    assert response.content == b""  # nginx sends the bytes, not the worker
    assert response["X-Accel-Redirect"] == f"/_bijlagen/{bijlage.sleutel}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Verslag%20%C3%A9cole.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    inzage = BijlageInzage.objects.get()
    assert (inzage.bijlage, inzage.ip_adres) == (bijlage, "192.0.2.8")
    assert Inzage.objects.filter(details=f"bijlage {bijlage.pk} gedownload").count() == 1


def test_behind_nginx_the_scan_rule_and_access_rule_still_hold(client, world, x_accel):
    bijlage = upload(client, world)
    Bijlage.objects.filter(pk=bijlage.pk).update(scan_status=ScanStatus.WACHT)
    response = download(client, bijlage)
    assert response.status_code == 409 and "X-Accel-Redirect" not in response
    login(client, world.collega_b)
    response = download(client, bijlage)
    assert response.status_code == 404 and "X-Accel-Redirect" not in response
    assert not BijlageInzage.objects.exists()


def test_without_nginx_the_development_server_streams(client, world, settings):
    settings.DOWNLOADS_X_ACCEL_PREFIX = ""
    bijlage = upload(client, world)
    response = download(client, bijlage)
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == INHOUD


# --- S3 ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def moto_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(settings, moto_server):
    bucket = "kindkans-test"
    client = boto3.client(
        "s3",
        endpoint_url=moto_server,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": moto_server,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 60,
                "signature_version": "s3v4",
                "file_overwrite": False,
                "object_parameters": {"ServerSideEncryption": "AES256"},
            },
        },
    }
    yield client, bucket
    for obj in client.list_objects_v2(Bucket=bucket).get("Contents", []):
        client.delete_object(Bucket=bucket, Key=obj["Key"])
    client.delete_bucket(Bucket=bucket)


def test_on_s3_the_upload_is_encrypted_and_private(client, world, s3):
    s3_client, bucket = s3
    bijlage = upload(client, world)
    head = s3_client.head_object(Bucket=bucket, Key=bijlage.sleutel)
    assert head["ServerSideEncryption"] == "AES256"
    grants = s3_client.get_object_acl(Bucket=bucket, Key=bijlage.sleutel)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner only
    assert all("URI" not in g["Grantee"] for g in grants)  # no AllUsers / AuthenticatedUsers
    # Anonymous access to the object is refused.
    assert httpx.get(f"{s3_client.meta.endpoint_url}/{bucket}/{bijlage.sleutel}").status_code == 403


def test_on_s3_the_view_redirects_to_a_presigned_url_after_the_record(client, world, s3):
    bijlage = upload(client, world)
    response = download(client, bijlage, REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    url = response["Location"]
    query = parse_qs(urlsplit(url).query)
    assert int(query["X-Amz-Expires"][0]) <= 60
    assert query["response-content-type"] == ["application/pdf"]
    disposition = query["response-content-disposition"][0]
    assert disposition.startswith("attachment;")
    # The file's own name (pupils' names) stays out of the URL and so out of S3's logs.
    assert f"bijlage-{bijlage.pk}.pdf" in disposition and "cole" not in url
    inzage = BijlageInzage.objects.get()
    assert (inzage.bijlage, inzage.ip_adres) == (bijlage, "192.0.2.9")
    fetched = httpx.get(url)
    assert fetched.status_code == 200 and fetched.content == INHOUD
    assert fetched.headers["content-type"] == "application/pdf"
    assert fetched.headers["content-disposition"].startswith("attachment;")
    assert fetched.headers["cache-control"] == "no-store, private"


def test_on_s3_no_url_without_access_or_a_clean_scan(client, world, s3):
    bijlage = upload(client, world)
    Bijlage.objects.filter(pk=bijlage.pk).update(scan_status=ScanStatus.BESMET)
    assert download(client, bijlage).status_code == 409
    login(client, world.outsider)
    assert download(client, bijlage).status_code == 404
    assert not BijlageInzage.objects.exists()
