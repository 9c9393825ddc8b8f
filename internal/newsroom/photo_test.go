package newsroom

import (
	"bytes"
	"image"
	"image/png"
	"testing"
)

// FuzzPreparePhoto feeds arbitrary bytes to the photo check: it must never
// panic, and whatever it accepts must decode as the image it claims to be.
func FuzzPreparePhoto(f *testing.F) {
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, 20, 20)))
	f.Add(buf.Bytes())
	f.Add([]byte("\xff\xd8\xff\xe0 not a jpeg"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, raw []byte) {
		data, ct, w, h, err := preparePhoto(raw)
		if err != nil {
			return
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || "image/"+format != ct || cfg.Width != w || cfg.Height != h {
			t.Fatalf("accepted photo does not decode as %s %dx%d: %v", ct, w, h, err)
		}
	})
}
