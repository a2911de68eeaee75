"""Presentation mode for every screen: a full-screen window of slides in large, dark type on
white for the back of a room at 1280×720. Each screen supplies its slides (title, a
painter, a caption) from the same chart data it draws; `Presenter` opens them with F5."""
