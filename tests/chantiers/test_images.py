"""Cover images: Pillow checks them, and smaller WebP renditions feed a srcset."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from chantiers.images import rendition_widths, validate_cover
from chantiers.models import Chantier
from tests.factories import ChantierFactory

pytestmark = pytest.mark.django_db


def image_bytes(width, height, image_format="JPEG", color=(31, 92, 58)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format=image_format)
    return buffer.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_reasonable_images_are_accepted(image_format):
    validate_cover(
        upload(f"couverture.{image_format.lower()}", image_bytes(1200, 800, image_format))
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4 pas une image", "pas une image lisible"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "pas une image lisible"),
        (image_bytes(800, 600, "GIF"), "Format d'image non accepté"),
        (image_bytes(300, 200), "trop petite"),
    ],
)
def test_other_files_are_refused_with_a_french_message(data, message):
    with pytest.raises(ValidationError) as error:
        validate_cover(upload("fichier.jpg", data))
    assert message in " ".join(error.value.messages)


def test_a_truncated_image_is_refused():
    data = image_bytes(1200, 800, "PNG")
    with pytest.raises(ValidationError):
        validate_cover(upload("coupee.png", data[: len(data) // 2]))


def test_the_model_field_validates_the_cover():
    chantier = ChantierFactory()
    chantier.cover = upload("faux.jpg", b"pas une image")
    with pytest.raises(ValidationError) as error:
        chantier.full_clean()
    assert "cover" in error.value.message_dict


def test_rendition_widths_never_enlarge():
    assert rendition_widths(3000) == [480, 960, 1600]
    assert rendition_widths(1200) == [480, 960, 1200]
    assert rendition_widths(960) == [480, 960]
    assert rendition_widths(500) == [480, 500]


def test_saving_a_cover_builds_renditions_and_a_srcset():
    chantier = ChantierFactory()
    chantier.cover.save("vergers.jpg", ContentFile(image_bytes(2000, 1000)))
    chantier.refresh_from_db()
    assert [r["width"] for r in chantier.cover_renditions] == [480, 960, 1600]
    assert [r["height"] for r in chantier.cover_renditions] == [240, 480, 800]
    storage = chantier.cover.storage
    for rendition in chantier.cover_renditions:
        assert storage.exists(rendition["name"])
        with storage.open(rendition["name"]) as stored, Image.open(stored) as image:
            assert image.format == "WEBP"
            assert image.width == rendition["width"]
    assert chantier.cover_width == 2000 and chantier.cover_height == 1000
    assert "480w" in chantier.cover_srcset and "1600w" in chantier.cover_srcset
    assert chantier.cover_src.endswith("-960.webp")
    assert chantier.cover_size == (960, 480)


def test_changing_or_clearing_the_cover_replaces_its_renditions():
    chantier = ChantierFactory()
    chantier.cover.save("avant.jpg", ContentFile(image_bytes(1000, 500)))
    old_names = [r["name"] for r in Chantier.objects.get(pk=chantier.pk).cover_renditions]
    chantier = Chantier.objects.get(pk=chantier.pk)
    chantier.cover.save("apres.png", ContentFile(image_bytes(700, 700, "PNG")))
    chantier = Chantier.objects.get(pk=chantier.pk)
    assert [r["width"] for r in chantier.cover_renditions] == [480, 700]
    storage = chantier.cover.storage
    assert not any(storage.exists(name) for name in old_names)
    chantier.cover = ""
    chantier.save()
    assert Chantier.objects.get(pk=chantier.pk).cover_renditions == []


def test_saving_without_touching_the_cover_does_not_rebuild(monkeypatch):
    chantier = ChantierFactory()
    chantier.cover.save("stable.jpg", ContentFile(image_bytes(1000, 500)))
    chantier = Chantier.objects.get(pk=chantier.pk)
    renditions = chantier.cover_renditions
    monkeypatch.setattr(
        "chantiers.images.build_renditions", lambda *a: pytest.fail("rebuilt for nothing")
    )
    chantier.summary = "Nouveau résumé"
    chantier.save()
    assert renditions
    assert Chantier.objects.get(pk=chantier.pk).cover_renditions == renditions


def test_the_pages_show_the_cover_with_srcset_and_alt(client):
    chantier = ChantierFactory(cover_alt="Des vergers en fleurs")
    chantier.cover.save("vergers.jpg", ContentFile(image_bytes(2000, 1000)))
    for path in ("/chantiers/", chantier.get_absolute_url()):
        html = client.get(path).content.decode()
        assert 'srcset="' in html and "480w" in html and 'sizes="' in html
        assert 'alt="Des vergers en fleurs"' in html
        assert 'width="960" height="480"' in html
