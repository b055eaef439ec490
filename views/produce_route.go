package views

// ViewID is the id of the produce form running the repeat.
func (m produceProgress) ViewID() int { return m.ID }

// ViewID is the id of the produce form whose repeat ended.
func (m produceDone) ViewID() int { return m.ID }
