"""Put the root-level templates and compiled catalogs into the package when it is built.

`templates/` and `translations/` live at the top of the repository (where translators and
designers look for them); an installed package carries its own copies, with every `.po`
compiled to `.mo` here, so `pip install .` serves every locale.
"""

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        package = Path(self.build_lib) / "interpreter_support"
        shutil.copytree("templates", package / "templates", dirs_exist_ok=True)
        (package / "translations").mkdir(exist_ok=True)
        shutil.copy2("translations/messages.pot", package / "translations")
        for po_path in Path("translations").glob("*/LC_MESSAGES/messages.po"):
            mo_path = package / po_path.with_suffix(".mo")
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parts[1])
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)


setup(cmdclass={"build_py": BuildWithResources})
