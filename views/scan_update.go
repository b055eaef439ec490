package views

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

func (v *Scan) keyPress(msg tea.KeyPressMsg) tea.Cmd {
	k := v.keys
	if v.detail != nil {
		return v.detailKey(msg)
	}
	switch {
	case key.Matches(msg, k.Stop):
		if v.running() {
			v.run.Stop()
			v.stopped = true
			return nil
		}
		return Pop()
	case key.Matches(msg, k.Up):
		v.move(-1)
	case key.Matches(msg, k.Down):
		v.move(1)
	case key.Matches(msg, k.PageUp):
		v.move(-max(1, v.bodyRows()-1))
	case key.Matches(msg, k.PageDown):
		v.move(max(1, v.bodyRows()-1))
	case key.Matches(msg, k.Top):
		v.move(-len(v.matches))
	case key.Matches(msg, k.Bottom):
		v.move(len(v.matches))
	case key.Matches(msg, k.Open):
		if len(v.matches) > 0 {
			return v.openDetail(v.sel)
		}
	}
	return nil
}

func (v *Scan) detailKey(msg tea.KeyPressMsg) tea.Cmd {
	k, d := v.keys, v.detail
	switch {
	case key.Matches(msg, k.Close):
		v.detail = nil
	case d.scrollKey(msg, k.Up, k.Down, k.PageUp, k.PageDown, key.Binding{}, key.Binding{}):
	case key.Matches(msg, k.NextRec):
		if v.sel+1 < len(v.matches) {
			return v.openDetail(v.sel + 1)
		}
		return Notice("no later match")
	case key.Matches(msg, k.PrevRec):
		if v.sel > 0 {
			return v.openDetail(v.sel - 1)
		}
		return Notice("no earlier match")
	}
	return nil
}

// openDetail opens the tail's detail pane on match i.
func (v *Scan) openDetail(i int) tea.Cmd {
	v.sel = i
	v.clampTop()
	var cmd tea.Cmd
	v.detail, cmd = newTailDetail(v.c, v.matches[i], uint64(i), v.filter, v.width, v.height, v.id)
	return cmd
}

func (v *Scan) move(by int) {
	v.sel = max(0, min(v.sel+by, len(v.matches)-1))
	v.clampTop()
}

// bodyRows is how many matches fit below the progress and header lines.
func (v *Scan) bodyRows() int { return max(1, v.height-scanChrome) }

func (v *Scan) clampTop() {
	n := v.bodyRows()
	if v.sel < v.top {
		v.top = v.sel
	}
	if v.sel >= v.top+n {
		v.top = v.sel - n + 1
	}
	v.top = max(0, min(v.top, max(0, len(v.matches)-n)))
}
