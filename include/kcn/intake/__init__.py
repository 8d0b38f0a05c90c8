"""Intake: the landing area's folders, versioned, archived, read and staged into kcn_raw."""
