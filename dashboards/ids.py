"""Every component id used by the dashboard, in one place, so pages and browser tests agree."""

NAV = "nav"
HOME_COUNTS = "home-counts"
HOME_BUILD = "home-build"
