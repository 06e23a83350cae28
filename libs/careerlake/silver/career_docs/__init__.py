"""Silver career documents: parse threads, articles and guides; extract mentions, transitions, guides."""
