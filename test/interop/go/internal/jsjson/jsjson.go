// Package jsjson writes JSON exactly as JavaScript's JSON.stringify writes the same value, and turns
// bytes into text exactly as Node's Buffer.toString('utf8') does, so that a Go chaincode's results
// can be compared byte for byte with those of a Node chaincode (test/chaincode/fixtures/allStub.ts).
//
// Where encoding/json differs from JSON.stringify:
//   - it escapes <, > and & (\u003c …) unless told not to, and always U+2028 / U+2029;
//   - it writes invalid UTF-8 as the escape \ufffd, one per bad byte;
//   - maps are written in sorted key order, struct fields in declaration order.
//
// Here: only '"', '\\' and the controls below U+0020 are escaped (\b \t \n \f \r by name, the rest
// as \u00xx with lowercase hex), everything else is written as it is; bytes are decoded first with
// the WHATWG "maximal subpart" rule (one U+FFFD per maximal invalid subsequence), which is what V8
// does; objects are ordered (Obj) and maps follow JavaScript's property order as far as it is
// knowable (integer-like keys first, ascending; the other keys sorted, because a Go map has lost the
// insertion order a JavaScript object keeps).
package jsjson

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// KV is one property of an ordered object.
type KV struct {
	K string
	V any
}

// Obj is a JSON object whose properties are written in this order.
type Obj []KV

// Text decodes bytes as Node's Buffer.toString('utf8'): valid UTF-8 is kept, each maximal
// subpart of an ill-formed sequence becomes one U+FFFD (Unicode 15 §3.9, WHATWG Encoding).
func Text(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + 8)
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			sb.WriteByte(c)
			i++
			continue
		}
		// Expected length and the allowed range of the second byte (Unicode Table 3-7).
		var need int
		lo, hi := byte(0x80), byte(0xBF)
		switch {
		case c >= 0xC2 && c <= 0xDF:
			need = 1
		case c == 0xE0:
			need, lo = 2, 0xA0
		case c >= 0xE1 && c <= 0xEC, c == 0xEE, c == 0xEF:
			need = 2
		case c == 0xED:
			need, hi = 2, 0x9F
		case c == 0xF0:
			need, lo = 3, 0x90
		case c >= 0xF1 && c <= 0xF3:
			need = 3
		case c == 0xF4:
			need, hi = 3, 0x8F
		default: // 0x80..0xC1, 0xF5..0xFF: never a lead byte
			sb.WriteRune(utf8.RuneError)
			i++
			continue
		}
		j := i + 1
		ok := true
		for k := 0; k < need; k++ {
			if j >= len(b) {
				ok = false
				break
			}
			x := b[j]
			if k == 0 {
				if x < lo || x > hi {
					ok = false
					break
				}
			} else if x < 0x80 || x > 0xBF {
				ok = false
				break
			}
			j++
		}
		if ok {
			sb.Write(b[i:j])
		} else {
			sb.WriteRune(utf8.RuneError) // the maximal subpart b[i:j] is replaced as a whole
		}
		i = j
	}
	return sb.String()
}

// Marshal writes v as JSON.stringify would. Supported: nil, bool, the integer types, float64
// (integral values only), string, []byte (as Text), []string, [][]byte (each as Text), []any,
// Obj, map[string]string, map[string][]byte (values as Text).
func Marshal(v any) string {
	var sb strings.Builder
	write(&sb, v)
	return sb.String()
}

func write(sb *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		sb.WriteString("null")
	case bool:
		sb.WriteString(strconv.FormatBool(x))
	case int:
		sb.WriteString(strconv.FormatInt(int64(x), 10))
	case int32:
		sb.WriteString(strconv.FormatInt(int64(x), 10))
	case int64:
		sb.WriteString(strconv.FormatInt(x, 10))
	case uint32:
		sb.WriteString(strconv.FormatUint(uint64(x), 10))
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			panic(fmt.Sprintf("jsjson: only integral numbers are supported, got %v", x))
		}
		sb.WriteString(strconv.FormatFloat(x, 'f', -1, 64))
	case string:
		quote(sb, x)
	case []byte:
		quote(sb, Text(x))
	case []string:
		sb.WriteByte('[')
		for i, s := range x {
			if i > 0 {
				sb.WriteByte(',')
			}
			quote(sb, s)
		}
		sb.WriteByte(']')
	case [][]byte:
		sb.WriteByte('[')
		for i, s := range x {
			if i > 0 {
				sb.WriteByte(',')
			}
			quote(sb, Text(s))
		}
		sb.WriteByte(']')
	case []any:
		sb.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				sb.WriteByte(',')
			}
			write(sb, e)
		}
		sb.WriteByte(']')
	case []Obj:
		sb.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				sb.WriteByte(',')
			}
			write(sb, e)
		}
		sb.WriteByte(']')
	case Obj:
		sb.WriteByte('{')
		for i, p := range x {
			if i > 0 {
				sb.WriteByte(',')
			}
			quote(sb, p.K)
			sb.WriteByte(':')
			write(sb, p.V)
		}
		sb.WriteByte('}')
	case map[string]string:
		o := make(Obj, 0, len(x))
		for _, k := range SortedPropertyOrder(keys(x)) {
			o = append(o, KV{k, x[k]})
		}
		write(sb, o)
	case map[string][]byte:
		o := make(Obj, 0, len(x))
		for _, k := range SortedPropertyOrder(keys(x)) {
			o = append(o, KV{k, Text(x[k])})
		}
		write(sb, o)
	default:
		panic(fmt.Sprintf("jsjson: unsupported type %T", v))
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// IsArrayIndex reports whether JavaScript treats k as an integer-like property key (a canonical
// array index, 0 … 2^32 − 2), which an object lists before every other key, in ascending order.
func IsArrayIndex(k string) bool {
	if k == "" || (len(k) > 1 && k[0] == '0') {
		return false
	}
	n, err := strconv.ParseUint(k, 10, 64)
	return err == nil && n < math.MaxUint32
}

// PropertyOrder orders keys as JavaScript's Object.keys lists the properties of an object that
// received them in the given order: integer-like keys first, ascending; then the others in the
// given (insertion) order. A repeated key keeps its first position.
func PropertyOrder(ks []string) []string {
	var idx, rest []string
	seen := map[string]bool{}
	for _, k := range ks {
		if seen[k] {
			continue
		}
		seen[k] = true
		if IsArrayIndex(k) {
			idx = append(idx, k)
		} else {
			rest = append(rest, k)
		}
	}
	sort.Slice(idx, func(i, j int) bool {
		a, _ := strconv.ParseUint(idx[i], 10, 64)
		b, _ := strconv.ParseUint(idx[j], 10, 64)
		return a < b
	})
	return append(idx, rest...)
}

// SortedPropertyOrder is PropertyOrder over the keys sorted bytewise (for Go maps).
func SortedPropertyOrder(ks []string) []string {
	s := append([]string(nil), ks...)
	sort.Strings(s)
	return PropertyOrder(s)
}

func quote(sb *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	if !utf8.ValidString(s) {
		s = Text([]byte(s))
	}
	sb.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		sb.WriteString(s[start:i])
		switch c {
		case '"':
			sb.WriteString(`\"`)
		case '\\':
			sb.WriteString(`\\`)
		case '\b':
			sb.WriteString(`\b`)
		case '\f':
			sb.WriteString(`\f`)
		case '\n':
			sb.WriteString(`\n`)
		case '\r':
			sb.WriteString(`\r`)
		case '\t':
			sb.WriteString(`\t`)
		default:
			sb.WriteString(`\u00`)
			sb.WriteByte(hex[c>>4])
			sb.WriteByte(hex[c&0xF])
		}
		start = i + 1
	}
	sb.WriteString(s[start:])
	sb.WriteByte('"')
}
