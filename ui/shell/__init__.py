"""The app shell: the main window's parts (sidebar, area stack, placeholders, empty state),
its dialogs, its settings and its look."""
