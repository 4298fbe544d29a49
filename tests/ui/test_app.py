"""The ``wufei-gui`` entry point."""

from __future__ import annotations

from PyQt6.QtGui import QImage

from wufei_gis.ui import i18n
from wufei_gis.ui.app import build_parser, main


def test_parser():
    a = build_parser().parse_args(["p.gpkg", "--solve", "plan-2025", "--lang", "en"])
    assert (a.project, a.solve, a.lang, a.screenshot) == ("p.gpkg", "plan-2025", "en", None)


def test_screenshot_of_sample(qapp, tmp_path):
    out = tmp_path / "shot.png"
    try:
        assert (
            main(
                ["--sample", "yuxi", "--screenshot", str(out), "--lang", "en", "--size", "1200x800"]
            )
            == 0
        )
    finally:
        i18n.set_language("zh")
    img = QImage(str(out))
    assert (img.width(), img.height()) == (1200, 800)


def test_bad_project_is_an_error_not_a_crash(qapp, tmp_path, capsys):
    assert main([str(tmp_path / "nope.gpkg"), "--screenshot", str(tmp_path / "x.png")]) == 2
    assert "not found" in capsys.readouterr().err
    i18n.set_language("zh")
