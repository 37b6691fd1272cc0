import pytest
from i18n_support import untranslated_messages

from interpreter_support.i18n.locales import LOCALES


@pytest.fixture(scope="session")
def catalogs():
    return {loc.code: untranslated_messages(loc.code) for loc in LOCALES[1:]}
