"""HTTP routes and their request and response shapes: no business rules and no queries; each route calls service/."""
