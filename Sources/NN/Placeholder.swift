enum NNPlaceholder {}
