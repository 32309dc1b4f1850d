"""Attached documents: content checked on upload, downloads only for the municipality's own
people, as attachments."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lagesbild.agreements.forms import check_document
from lagesbild.agreements.models import AgreementDocument

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx(extra=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document/>")
        for name in extra:
            z.writestr(name, "x")
    return buffer.getvalue()


def _upload(client, agreement, name, content):
    return client.post(
        reverse("agreements:upload", args=[agreement.pk]),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_coordinator_uploads_a_pdf_stored_under_the_agreement(users, agreement, client_for):
    response = _upload(client_for(users["coordinator"]), agreement, "avtal.pdf", PDF)
    assert response.status_code == 200
    assert "avtal.pdf är uppladdat." in response.content.decode()
    document = AgreementDocument.objects.get(agreement=agreement)
    assert document.file.name.startswith(f"agreements/{agreement.pk}/")
    assert default_storage.exists(document.file.name)


def test_exe_renamed_pdf_is_refused_with_its_name(users, agreement, client_for):
    content = b"MZ\x90\x00" + b"\x00" * 100
    response = _upload(client_for(users["coordinator"]), agreement, "faktura.pdf", content)
    text = response.content.decode()
    assert "faktura.pdf är ingen PDF-fil" in text
    assert not AgreementDocument.objects.exists()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("avtal.docx", PDF, "avtal.docx är inget Word-dokument"),
        ("avtal.docx", _docx(["word/vbaProject.bin"]), "avtal.docx innehåller makron"),
        ("avtal.exe", b"MZ", "avtal.exe: filtypen stöds inte"),
        ("tom.pdf", b"", "tom.pdf är tom"),
        ("budget.xlsx", PDF, "budget.xlsx är ingen Excel-fil"),
    ],
)
def test_check_document_refuses(name, content, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        check_document(SimpleUploadedFile(name, content))
    assert message in " ".join(raised.value.messages)


def test_check_document_accepts_pdf_and_docx():
    assert check_document(SimpleUploadedFile("a.pdf", PDF)) == ".pdf"
    assert check_document(SimpleUploadedFile("b.DOCX", _docx())) == ".docx"


def test_too_large_is_refused(settings):
    from django.core.exceptions import ValidationError

    settings.LAGESBILD_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError) as raised:
        check_document(SimpleUploadedFile("stor.pdf", PDF))
    assert "stor.pdf är för stor" in raised.value.messages[0]


@pytest.mark.parametrize(
    "role,status",
    [("anonymous", 302), ("reader", 403), ("representative", 403), ("partner", 403),
     ("other_coordinator", 404)],
)  # fmt: skip
def test_only_the_coordinator_uploads(role, status, users, agreement, client_for):
    response = client_for(users[role]).post(
        reverse("agreements:upload", args=[agreement.pk]),
        {"file": SimpleUploadedFile("avtal.pdf", PDF)},
    )
    assert response.status_code == status
    assert not AgreementDocument.objects.exists()


def test_upload_is_post_only(users, agreement, client_for):
    response = client_for(users["coordinator"]).get(
        reverse("agreements:upload", args=[agreement.pk])
    )
    assert response.status_code == 405


@pytest.mark.parametrize(
    "role,status",
    [("anonymous", 302), ("reader", 200), ("representative", 200), ("partner", 403),
     ("coordinator", 200), ("other_coordinator", 404), ("admin", 200)],
)  # fmt: skip
def test_download(role, status, users, agreement, client_for):
    _upload(client_for(users["coordinator"]), agreement, "Undertecknat avtal.pdf", PDF)
    document = AgreementDocument.objects.get()
    response = client_for(users[role]).get(reverse("agreements:document", args=[document.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert "Undertecknat avtal.pdf" in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == PDF
