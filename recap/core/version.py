"""recap's version: one home, read by `recap --version`, the User-Agent of its web reads and the
package (CHANGELOG.md names the same)."""

VERSION = "0.1.0"
