"""The network view and its editor: items, selection, drops, menus, the palette."""
