import pytest


@pytest.fixture(scope="session", autouse=True)
def _live_server_without_media_url():
    """settings.MEDIA_URL is None on purpose (documents go through access-checked views),
    which Django's live-server media handler cannot parse. Give that handler a prefix no
    page ever uses, so it never serves anything."""
    from django.test import testcases

    original = testcases._MediaFilesHandler.get_base_url
    testcases._MediaFilesHandler.get_base_url = lambda self: "/__no-media-in-tests__/"
    yield
    testcases._MediaFilesHandler.get_base_url = original
