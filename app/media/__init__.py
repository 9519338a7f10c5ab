"""Stored images: drawn illustrations and uploaded photos under MEDIA_ROOT (blueprint in .views)."""
