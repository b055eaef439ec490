package template

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseTextErrorsNameThePlaceholder(t *testing.T) {
	cases := map[string]string{
		`a {{rand 1}} b`:   `{{rand 1}}: wants two whole numbers`,
		`{{rand 9 1}}`:     `{{rand 9 1}}: MIN 9 is larger than MAX 1`,
		`{{rand x 1}}`:     `{{rand x 1}}: MIN and MAX must be whole numbers`,
		`{{pick}}`:         `{{pick}}: wants one or more quoted words`,
		`{{pick "a}}`:      `a quote is not closed`,
		`{{ }}`:            `{{ }}: empty placeholder`,
		`x {{uid}}`:        `{{uid}}: unknown placeholder "uid"`,
		`{{seq x}}`:        `{{seq x}}: takes nothing or a WIDTH`,
		`{{seq 2 3}}`:      `{{seq 2 3}}: takes nothing or a WIDTH`,
		`{{now 2}}`:        `{{now 2}}: takes nothing`,
		`{{rand 1 2 n x}}`: `{{rand 1 2 n x}}: wants two whole numbers`,
		`{"id": "{{uuid"}`: `not closed`,
		`{{uuid a b}}`:     `takes at most one NAME`,
	}
	for in, want := range cases {
		_, err := ParseText(in)
		var pe *PlaceholderError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseText(%q) = %v, want an error containing %q", in, err, want)
		}
	}
}

func TestExpandPlaceholders(t *testing.T) {
	now := time.Date(2026, 1, 2, 12, 0, 0, 5e6, time.FixedZone("x", 3600))
	txt, err := ParseText(`{{seq}}|{{now}}|{{rand 1 3}}|{{pick "a b" "c"}}|{{uuid}}|{{uuid k}}|{{uuid k}}|{{rand 7 7}}`)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	seenRand, seenPick := map[string]bool{}, map[string]bool{}
	uuidRE := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	for seq := int64(1); seq <= 200; seq++ {
		f := strings.Split(txt.Expand(NewEnv(seq, now, r)), "|")
		if f[0] != strconv.FormatInt(seq, 10) || f[1] != "2026-01-02T11:00:00.005Z" || f[7] != "7" {
			t.Fatalf("seq %d: %q", seq, f)
		}
		seenRand[f[2]], seenPick[f[3]] = true, true
		if !uuidRE.MatchString(f[4]) || !uuidRE.MatchString(f[5]) || f[5] != f[6] || f[4] == f[5] {
			t.Fatalf("uuids %q %q %q", f[4], f[5], f[6])
		}
	}
	if len(seenRand) != 3 || !seenRand["1"] || !seenRand["3"] || len(seenPick) != 2 || !seenPick["a b"] {
		t.Errorf("rand drew %v, pick drew %v", seenRand, seenPick)
	}
	plain, _ := ParseText("no placeholders {here}")
	if plain.HasPlaceholders() || plain.Expand(NewEnv(1, now, nil)) != "no placeholders {here}" {
		t.Errorf("plain text changed")
	}
}

func TestCheckJSONPointsAtTypedLineAndColumn(t *testing.T) {
	cases := []struct {
		value     string
		line, col int
	}{
		{"{\n  \"a\": 1,\n  \"b\": }\n", 3, 8},
		{"{\n  \"id\": \"{{uuid}}\",\n  \"n\": {{rand 1 9}}x\n}", 3, 20},
		{"{\"a\": 1", 1, 8},
		{"", 1, 1},
		{"{\"é\": tru}", 1, 10},
	}
	for _, c := range cases {
		rt, err := CompileRecord(RecordSpec{Value: c.value, JSON: true})
		if err != nil {
			t.Fatal(err)
		}
		err = rt.CheckJSON(time.Now())
		var je *JSONError
		if !errors.As(err, &je) || je.Line != c.line || je.Col != c.col {
			t.Errorf("CheckJSON(%q) = %v, want line %d col %d", c.value, err, c.line, c.col)
		}
	}
	rt, _ := CompileRecord(RecordSpec{Value: "{\"n\": {{rand 1 9}}}", JSON: true})
	if err := rt.CheckJSON(time.Now()); err != nil {
		t.Errorf("placeholder as a number: %v", err)
	}
}

func TestTemplatesCompileAndExpand(t *testing.T) {
	for _, name := range []string{"order placed", "order-placed", "TEXT_LINE"} {
		tpl, err := Find(name)
		if err != nil {
			t.Fatal(err)
		}
		rt, err := CompileRecord(tpl.Spec)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := rt.CheckJSON(time.Now()); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rec := rt.Expand(7, time.Now(), nil)
		if tpl.Spec.JSON {
			var ev struct {
				EventID string `json:"event_id"`
				Corr    string `json:"correlation_id"`
				Version int    `json:"schema_version"`
				OrderID string `json:"order_id"`
			}
			if err := json.Unmarshal([]byte(rec.Value), &ev); err != nil {
				t.Fatal(err)
			}
			key := "<null>"
			if rec.Key != nil {
				key = *rec.Key
			}
			if key != "ord-000007" || ev.OrderID != "ord-000007" || ev.Version != 2 || ev.EventID == "" {
				t.Errorf("order event: key %q %+v", key, ev)
			}
			if len(rec.Headers) < 2 || rec.Headers[1].Key != "correlation_id" || rec.Headers[1].Value != ev.Corr ||
				rec.Headers[0].Value != ev.EventID {
				t.Errorf("headers %v do not carry the value's ids %q, %q", rec.Headers, ev.EventID, ev.Corr)
			}
		}
	}
	if _, err := Find("nope"); err == nil || !strings.Contains(err.Error(), "order-placed") {
		t.Errorf("unknown template: %v", err)
	}
	bad := "{{rand}}"
	if _, err := CompileRecord(RecordSpec{Key: &bad}); err == nil || !strings.HasPrefix(err.Error(), "key: {{rand}}") {
		t.Errorf("bad key: %v", err)
	}
	if _, err := CompileRecord(RecordSpec{Headers: []HeaderSpec{{Key: "h", Value: "{{x}}"}}}); err == nil || !strings.HasPrefix(err.Error(), "header h: {{x}}") {
		t.Errorf("bad header: %v", err)
	}
}

// TestSeqWidthAndNamedRand: {{seq WIDTH}} zero-pads, and every
// {{rand MIN MAX NAME}} of one record draws the same number.
func TestSeqWidthAndNamedRand(t *testing.T) {
	tx := MustParseText(`{{seq 6}} {{seq 2}} {{rand 1 1000000 p}} {{rand 1 1000000 p}} {{rand 1 1000000 q}}`)
	for seq := int64(1); seq <= 50; seq++ {
		f := strings.Fields(tx.Expand(NewEnv(seq*7, time.Now(), nil)))
		if want := fmt.Sprintf("%06d", seq*7); f[0] != want || f[1] != fmt.Sprintf("%02d", seq*7) {
			t.Fatalf("seq %d: %q", seq*7, f[:2])
		}
		if f[2] != f[3] {
			t.Fatalf("named rand differs within a record: %q", f[2:])
		}
	}
}

// TestExpandMatchesGolden holds every placeholder's expansion, drawn
// from a seeded source, to what it was before expansion appended into
// reused buffers (testdata/expand_golden.txt, written by the string
// builder and fmt version): the same bytes from the same draws, through
// Expand, AppendExpand on one reused Env, and ExpandWithMap.
func TestExpandMatchesGolden(t *testing.T) {
	b, err := os.ReadFile("testdata/expand_golden.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	txt := MustParseText(lines[0])
	for _, how := range []string{"Expand", "AppendExpand", "ExpandWithMap"} {
		r := rand.New(rand.NewPCG(1, 2))
		env := NewEnv(0, time.Time{}, r)
		var buf []byte
		for i, want := range lines[1:] {
			seq := int64(i + 1)
			now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.FixedZone("x", 3600)).Add(time.Duration(seq) * 7777777 * time.Microsecond)
			var got string
			switch how {
			case "Expand":
				got = txt.Expand(NewEnv(seq, now, r))
			case "AppendExpand":
				env.Reset(seq, now)
				buf = txt.AppendExpand(buf[:0], env)
				got = string(buf)
			case "ExpandWithMap":
				got, _ = txt.ExpandWithMap(NewEnv(seq, now, r))
			}
			if got != want {
				t.Fatalf("%s record %d:\n got %s\nwant %s", how, seq, got, want)
			}
		}
	}
}

// TestExpanderMatchesExpand holds the Expander (slabs, one reused Env)
// to the order-placed records Expand wrote from the same seeded draws
// (testdata/order_placed_golden.json), and checks that records carved
// from one slab stay intact once later records are expanded and that
// appending to one cannot reach the next.
func TestExpanderMatchesExpand(t *testing.T) {
	b, err := os.ReadFile("testdata/order_placed_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var want []RecordSpec
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	tpl, _ := Find("order-placed")
	rt, err := CompileRecord(tpl.Spec)
	if err != nil {
		t.Fatal(err)
	}
	x := rt.NewExpander(rand.New(rand.NewPCG(3, 4)))
	var got []Expanded
	for i := range want {
		seq := int64(i + 1)
		got = append(got, x.Next(seq, time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC).Add(time.Duration(seq)*1234567*time.Microsecond)))
	}
	for i, g := range got { // after all were expanded: none was written over
		w := want[i]
		if g.Key == nil || string(g.Key) != *w.Key || string(g.Value) != w.Value || len(g.Headers) != len(w.Headers) {
			t.Fatalf("record %d: key %q value %q, want %q %q", i+1, g.Key, g.Value, *w.Key, w.Value)
		}
		for j, h := range g.Headers {
			if h.Key != w.Headers[j].Key || string(h.Value) != w.Headers[j].Value {
				t.Fatalf("record %d header %d: %s=%q, want %s=%q", i+1, j, h.Key, h.Value, w.Headers[j].Key, w.Headers[j].Value)
			}
		}
		_ = append(g.Key, "overwrite"...) // capped: reallocates, never touches the value after it
		if string(g.Value) != w.Value {
			t.Fatalf("record %d: appending to the key wrote over the value", i+1)
		}
	}
	// A template without a key gives a null key; a long value gets a
	// slab of its own size.
	long := strings.Repeat("x", 3*slabSize)
	rt2, _ := CompileRecord(RecordSpec{Value: long + "{{seq}}"})
	x2 := rt2.NewExpander(nil)
	a, c := x2.Next(1, time.Now()), x2.Next(2, time.Now())
	if a.Key != nil || string(a.Value) != long+"1" || string(c.Value) != long+"2" {
		t.Fatalf("keyless long records: key %v, %d and %d bytes", a.Key, len(a.Value), len(c.Value))
	}
}
