"""The review desk: the acts awaiting a person, their sums in context, and the entries a
person writes (`polefunds review`). Reads the published warehouse and the raw store."""
