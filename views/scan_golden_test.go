package views

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"kflow/kafka"
	"kflow/views/viewstest"
)

// traceFixture is a demo-like flow of one order: placed, paid, and
// dead-lettered, with the groups that consumed each record.
func traceFixture() ([]kafka.Record, []kafka.Consumption) {
	id := "7f3c9a2e-0b41-4c55-9d7e-2a4f6b8c1d09"
	at := func(s int) time.Time { return viewstest.Epoch.Add(time.Duration(s) * time.Second) }
	hs := []kafka.Header{{Key: "correlation_id", Value: []byte(id)}, {Key: "content-type", Value: []byte("application/json")}}
	recs := []kafka.Record{
		{Topic: "order_events", Partition: 2, Offset: 1041, Timestamp: at(0), Key: []byte("ord-000042"), Headers: hs,
			Value: []byte(`{"event_type":"OrderPlaced","correlation_id":"` + id + `","amount":192}`)},
		{Topic: "payment_events", Partition: 0, Offset: 377, Timestamp: at(2), Key: []byte("ord-000042"), Headers: hs,
			Value: []byte(`{"event_type":"PaymentCaptured","meta":{"correlation_id":"` + id + `"}}`)},
		{Topic: "order_events.DLQ", Partition: 0, Offset: 12, Timestamp: at(9), Key: []byte("ord-000042"),
			Headers: append([]kafka.Header{{Key: "error.reason", Value: []byte("smtp timeout")}}, hs...),
			Value:   []byte(`{"event_type":"OrderPlaced","correlation_id":"` + id + `"}`)},
	}
	for i := range recs {
		recs[i].KeySize, recs[i].ValueSize = len(recs[i].Key), len(recs[i].Value)
	}
	cons := []kafka.Consumption{
		{ConsumedBy: []string{"inventory", "reporting", "shipping"}, NotConsumedBy: []string{"notifications"}},
		{ConsumedBy: []string{"ledger"}, NotConsumedBy: []string{}},
		{ConsumedBy: []string{}, NotConsumedBy: []string{"dlq-audit"}},
	}
	return recs, cons
}

// TestScanGolden renders the trace screen (done, with the groups) and the
// search screen (reading, with a progress bar and ETA), and a match in
// the detail pane, at 80x24 and 160x48 on fixed data.
func TestScanGolden(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	recs, cons := traceFixture()
	cases := []struct {
		name string
		make func(c *Common) *Scan
	}{
		{"trace_done", func(c *Common) *Scan {
			v := NewTrace(c, nil, "7f3c9a2e-0b41-4c55-9d7e-2a4f6b8c1d09", false)
			v.prog = kafka.ScanProgress{Records: 1_204_331, Bytes: 412_000_000, Covered: 1_204_331, Total: 1_204_331, Matches: 3, Kept: 3,
				Partitions: 9, Elapsed: 2 * time.Second, Done: true}
			v.matches, v.cons = recs, cons
			return v
		}},
		{"search_reading", func(c *Common) *Scan {
			f, err := ParseTailFilter("jq .amount > 100")
			if err != nil {
				t.Fatal(err)
			}
			v := NewSearch(c, nil, "order_events", f)
			v.prog = kafka.ScanProgress{Records: 400_000, Bytes: 138_000_000, Covered: 400_000, Total: 1_000_000, Matches: 12_345, Kept: 2,
				Partitions: 3, Elapsed: 4 * time.Second}
			v.matches = slices.Clone(recs[:1])
			v.matches = append(v.matches, kafka.Record{Topic: "order_events", Partition: 1, Offset: 88, Timestamp: viewstest.Epoch.Add(time.Minute),
				Key: []byte("ord-000051"), Value: []byte(`{"event_type":"OrderPlaced","amount":640.5,"currency":"EUR"}`)})
			return v
		}},
		{"trace_detail", func(c *Common) *Scan {
			v := NewTrace(c, nil, "7f3c9a2e-0b41-4c55-9d7e-2a4f6b8c1d09", false)
			v.prog = kafka.ScanProgress{Records: 10, Covered: 10, Total: 10, Matches: 3, Kept: 3, Partitions: 9, Done: true}
			v.matches, v.cons = recs, cons
			return v
		}},
	}
	for _, tc := range cases {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			name := fmt.Sprintf("%s_%dx%d", tc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				v := tc.make(newTailCommon(t, viewstest.NewClock()))
				v.SetSize(size[0], size[1])
				if tc.name == "trace_detail" {
					v.sel = 1
					v.openDetail(1)
				}
				screen := v.View()
				v.Close()
				assertNoRawControls(t, screen)
				for i, l := range strings.Split(screen, "\n") {
					if w := ansi.StringWidth(l); w > size[0] {
						t.Errorf("line %d is %d cells wide", i, w)
					}
				}
				viewstest.RequireGolden(t, "scan_"+name, ansi.Strip(screen))
			})
		}
	}
}
