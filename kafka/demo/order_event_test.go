package demo

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"testing"
	"time"

	"kflow/kafka"
	"kflow/template"
)

// jsonShape lists the paths of an object's fields ("items[].sku"), so two
// records compare by shape, not values.
func jsonShape(t *testing.T, b []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	var out []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(prefix+"."+k, e)
			}
		case []any:
			for _, e := range x {
				walk(prefix+"[]", e)
			}
		default:
			out = append(out, fmt.Sprintf("%s:%T", prefix, v))
		}
	}
	walk("", v)
	sort.Strings(out)
	return slices.Compact(out)
}

// TestOrderTemplateMatchesDemo: a record of the order-placed template and
// one the demo writes to order_events have the same fields (and JSON
// types), event type, schema version, headers and key shape. Before, the
// template sent order.placed v1 with amount_cents and two headers.
func TestOrderTemplateMatchesDemo(t *testing.T) {
	tpl, err := template.Find("order-placed")
	if err != nil {
		t.Fatal(err)
	}
	rt, err := template.CompileRecord(tpl.Spec)
	if err != nil {
		t.Fatal(err)
	}
	tr := kafka.TemplateRecord(rt, 42, time.Now(), nil)
	dr, err := orderRecord(newDemoOrders(7).event(time.Now(), false))
	if err != nil {
		t.Fatal(err)
	}
	if ts, ds := jsonShape(t, tr.Value), jsonShape(t, dr.Value); !slices.Equal(ts, ds) {
		t.Errorf("template body fields\n  %v\ndemo body fields\n  %v", ts, ds)
	}
	var tev, dev template.OrderEvent
	if err := json.Unmarshal(tr.Value, &tev); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(dr.Value, &dev); err != nil {
		t.Fatal(err)
	}
	if tev.EventType != dev.EventType || tev.SchemaVersion != dev.SchemaVersion || tev.EventType != template.OrderPlacedType {
		t.Errorf("template %s v%d, demo %s v%d", tev.EventType, tev.SchemaVersion, dev.EventType, dev.SchemaVersion)
	}
	keyShape := regexp.MustCompile(`^ord-\d{6}$`)
	if !keyShape.Match(tr.Key) || !keyShape.Match(dr.Key) || string(tr.Key) != tev.OrderID {
		t.Errorf("keys %q (template, body %q) and %q (demo) differ in shape", tr.Key, tev.OrderID, dr.Key)
	}
	if !regexp.MustCompile(`^cust-\d{4}$`).MatchString(tev.Customer.ID) {
		t.Errorf("template customer id %q, demo's look like %q", tev.Customer.ID, dev.Customer.ID)
	}
	var sum float64
	for _, it := range tev.Items {
		sum += float64(it.Qty) * it.Price
	}
	if math.Abs(sum-tev.Amount) > 0.001 {
		t.Errorf("template amount %v, items add up to %v", tev.Amount, sum)
	}
	var th, dh []string
	for _, h := range tr.Headers {
		th = append(th, h.Key)
	}
	for _, h := range dr.Headers {
		dh = append(dh, h.Key)
	}
	if !slices.Equal(th, dh) {
		t.Errorf("template headers %v, demo headers %v", th, dh)
	}
	if string(tr.Headers[0].Value) != tev.EventID || string(tr.Headers[1].Value) != tev.CorrelationID {
		t.Errorf("template headers %v do not carry the body's ids", tr.Headers)
	}
}
