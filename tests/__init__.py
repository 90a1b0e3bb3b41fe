"""The test suite (folders by concern; helpers in tests/support/). See the README's "Tests"."""
