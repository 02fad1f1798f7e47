"""Pure view logic: money and dates as a reader expects them, SVG charts, claim forms, grouping of API rows."""
