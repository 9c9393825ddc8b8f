package notice_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/notice"
)

func testJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	img.Set(3, 3, color.RGBA{255, 0, 0, 255})
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withEXIF inserts an APP1 EXIF segment carrying a GPS marker after the SOI.
func withEXIF(j []byte) []byte {
	payload := append([]byte("Exif\x00\x00"), []byte("GPS 48.8566N 2.3522E secret-camera-serial")...)
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	out := append([]byte{}, j[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, j[2:]...)
}

func TestPreparePhoto(t *testing.T) {
	j := withEXIF(testJPEG(t))
	p, err := notice.PreparePhoto(j)
	if err != nil {
		t.Fatal(err)
	}
	if p.ContentType != "image/jpeg" || p.Width != 16 || p.Height != 16 || len(p.SHA256) != 64 {
		t.Fatalf("photo: %+v", p)
	}
	if bytes.Contains(p.Data, []byte("GPS")) || bytes.Contains(p.Data, []byte("Exif")) {
		t.Fatal("metadata survived the re-encoding")
	}
	var pb bytes.Buffer
	_ = png.Encode(&pb, image.NewGray(image.Rect(0, 0, 3, 2)))
	if p, err := notice.PreparePhoto(append(pb.Bytes(), []byte("trailing secret")...)); err != nil || p.ContentType != "image/png" || bytes.Contains(p.Data, []byte("secret")) {
		t.Fatalf("png: %v %+v", err, p.ContentType)
	}
	bad := map[string][]byte{
		"empty":     nil,
		"pdf":       []byte("%PDF-1.4 hello"),
		"gif":       []byte("GIF89a\x01\x00\x01\x00"),
		"truncated": j[:len(j)/3],
		"too large": append(testJPEG(t), make([]byte, notice.MaxPhotoBytes)...),
	}
	for name, raw := range bad {
		_, err := notice.PreparePhoto(raw)
		if fe, ok := fault.As(err); !ok || fe.Kind != fault.Invalid {
			t.Errorf("%s: got %v, want an invalid photo", name, err)
		}
	}
}
