package views

import (
	"strings"
	"unicode"
)

// Match reports where query matches text, as rune indexes of text to
// highlight: a case-insensitive substring when there is one, else a fuzzy
// match (the query's runes in order). It returns nil, false when query does
// not match; an empty query matches everything with nothing highlighted.
func Match(query, text string) ([]int, bool) {
	if query == "" {
		return nil, true
	}
	rt := []rune(strings.ToLower(text))
	rq := []rune(strings.ToLower(query))
	if i := indexRunes(rt, rq); i >= 0 {
		pos := make([]int, len(rq))
		for j := range rq {
			pos[j] = i + j
		}
		return pos, true
	}
	pos := make([]int, 0, len(rq))
	j := 0
	for i, r := range rt {
		if j < len(rq) && unicode.ToLower(r) == rq[j] {
			pos = append(pos, i)
			j++
		}
	}
	if j < len(rq) {
		return nil, false
	}
	return pos, true
}

func indexRunes(s, sub []rune) int {
outer:
	for i := 0; i+len(sub) <= len(s); i++ {
		for j := range sub {
			if s[i+j] != sub[j] {
				continue outer
			}
		}
		return i
	}
	return -1
}
