package template

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// The one shape of an order_events record, written by the demo and sent
// by the order-placed template: a reader of order_events meets one schema.
const (
	// OrderPlacedType is the event_type of an order event.
	OrderPlacedType = "OrderPlaced"
	// OrderSchemaVersion is its schema_version, in the body and a header.
	OrderSchemaVersion = 2
)

// OrderEvent is the JSON body of an order_events record. Field order is
// the order a reader expects: envelope first, then the order.
type OrderEvent struct {
	EventID       string        `json:"event_id"`
	EventType     string        `json:"event_type"`
	SchemaVersion int           `json:"schema_version"`
	OccurredAt    string        `json:"occurred_at"`
	CorrelationID string        `json:"correlation_id"`
	OrderID       string        `json:"order_id"`
	Customer      OrderCustomer `json:"customer"`
	Items         []OrderItem   `json:"items"`
	Amount        float64       `json:"amount"`
	Currency      string        `json:"currency"`
}

// OrderCustomer is who placed an order.
type OrderCustomer struct {
	ID      string `json:"id"`
	Country string `json:"country"`
}

// OrderItem is one line of an order; Price is per unit.
type OrderItem struct {
	SKU   string  `json:"sku"`
	Qty   int     `json:"qty"`
	Price float64 `json:"price"`
}

// OrderID is order number n as the key and order_id carry it.
func OrderID(n int) string { return fmt.Sprintf("ord-%06d", n) }

// OrderHeaders are an order event's headers: the envelope's ids, so they
// can be read without the body, and the content type.
func OrderHeaders(eventID, correlationID string, schemaVersion string) []HeaderSpec {
	return []HeaderSpec{
		{Key: "event_id", Value: eventID},
		{Key: "correlation_id", Value: correlationID},
		{Key: "schema_version", Value: schemaVersion},
		{Key: "content-type", Value: "application/json"},
	}
}

// orderPlacedSpec is the order-placed template: an OrderEvent whose
// fields are placeholders, keyed and with headers as the demo's events.
// The body is written by encoding/json from OrderEvent itself, so the
// template cannot drift from the demo's shape.
func orderPlacedSpec() RecordSpec {
	// Marshal sentinels, then swap them for placeholders: a placeholder
	// is not JSON until it is expanded.
	ph := map[string]string{
		`"@event_id@"`: `"{{uuid event}}"`,
		`"@occurred@"`: `"{{now}}"`,
		`"@corr@"`:     `"{{uuid corr}}"`,
		`"@order_id@"`: `"ord-{{seq 6}}"`,
		`"@customer@"`: `"cust-0{{rand 100 500}}"`,
		`"@country@"`:  `"{{pick "DE" "FR" "NL" "ES" "IT"}}"`,
		`"@sku@"`:      `"{{pick "SKU-KBD-01" "SKU-MSE-02"}}"`, // no wrap at 80 columns
		"900000001":    `{{rand 5 300 euros}}.{{rand 10 99 cents}}`,
		"900000002":    `{{rand 5 300 euros}}.{{rand 10 99 cents}}`,
		"900000003":    `1`,
		`"@currency@"`: `"EUR"`,
	}
	ev := OrderEvent{
		EventID: "@event_id@", EventType: OrderPlacedType, SchemaVersion: OrderSchemaVersion,
		OccurredAt: "@occurred@", CorrelationID: "@corr@", OrderID: "@order_id@",
		Customer: OrderCustomer{ID: "@customer@", Country: "@country@"},
		Items:    []OrderItem{{SKU: "@sku@", Qty: 900000003, Price: 900000001}},
		Amount:   900000002, Currency: "@currency@",
	}
	body, err := json.MarshalIndent(ev, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("order-placed template: %v", err)) // a fixed value always encodes
	}
	var pairs []string
	for k, v := range ph {
		pairs = append(pairs, k, v)
	}
	value := strings.NewReplacer(pairs...).Replace(string(body))
	key := "ord-{{seq 6}}"
	return RecordSpec{
		Partition: -1,
		Key:       &key,
		Value:     value,
		Headers:   OrderHeaders("{{uuid event}}", "{{uuid corr}}", strconv.Itoa(OrderSchemaVersion)),
		JSON:      true,
	}
}
