"""The kitchen picture: vocabulary, painter, and the scaled view."""
