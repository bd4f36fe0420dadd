print("examples: not implemented yet")
