package io.argus.models.action;

import io.argus.models.input.InputSpec;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.SplittableRandom;

/**
 * One randomised scene of a figure performing an action, seen by a camera: a backdrop, the
 * figure, the camera's aspect ratio (squeezed to the model's square frames as a decoder would),
 * camera shake and sensor noise. Renders windows of frames as a model sees them.
 */
public final class ActionScene {

    /** Frames are drawn at this multiple of the model's size and box-filtered down, like a scaler. */
    private static final int SUPERSAMPLE = 4;
    private static final double[] ASPECTS = {1.0, 4.0 / 3.0, 16.0 / 9.0};

    private final Figure figure;
    private final BufferedImage backdrop;
    private final java.awt.Color fill;
    private final double aspect;
    private final double shake;
    private final double noise;
    private final SplittableRandom random;

    private ActionScene(Figure figure, BufferedImage backdrop, double aspect, double shake, double noise,
            SplittableRandom random) {
        this.figure = figure;
        this.backdrop = backdrop;
        int mean = meanGrey(backdrop);
        this.fill = new java.awt.Color(mean, mean, mean);
        this.aspect = aspect;
        this.shake = shake;
        this.noise = noise;
        this.random = random;
    }

    /** A random scene of one action on one family of backdrops, for frames of the given spec. */
    public static ActionScene random(Action action, Backdrop family, InputSpec spec, SplittableRandom r) {
        int h = spec.height() * SUPERSAMPLE;
        double aspect = ASPECTS[r.nextInt(ASPECTS.length)];
        int w = (int) Math.round(h * aspect);
        BufferedImage backdrop = family.paint(w, h, r);
        int meanGrey = meanGrey(backdrop);
        Figure figure = Figure.random(action, h, meanGrey, r);
        return new ActionScene(figure, backdrop, aspect, r.nextDouble(0, 1.5), r.nextDouble(0, 6), r.split());
    }

    public Action action() {
        return figure.action;
    }

    /** +1 when the figure faces (and walks or runs) to the right of the frame, -1 to the left. */
    public int facing() {
        return figure.facing;
    }

    /**
     * Renders {@code spec.frames()} frames at {@code spec.fps()} starting {@code startSeconds} into
     * the action, as bytes laid out {@code [T][H][W][C]}; the scene is grey, so RGB frames carry the
     * same value in each channel.
     */
    public byte[] window(InputSpec spec, double startSeconds) {
        InputSpec grey = new InputSpec(spec.frames(), spec.fps(), spec.height(), spec.width(), 1);
        byte[] g = greyWindow(grey, startSeconds);
        if (spec.channels() == 1) {
            return g;
        }
        byte[] rgb = new byte[g.length * 3];
        for (int i = 0; i < g.length; i++) {
            rgb[3 * i] = g[i];
            rgb[3 * i + 1] = g[i];
            rgb[3 * i + 2] = g[i];
        }
        return rgb;
    }

    private byte[] greyWindow(InputSpec spec, double startSeconds) {
        int big = spec.height() * SUPERSAMPLE;
        BufferedImage canvas = new BufferedImage(big, big, BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = new byte[spec.frames() * spec.frameBytes()];
        for (int i = 0; i < spec.frames(); i++) {
            double t = startSeconds + i / spec.fps();
            Graphics2D g = canvas.createGraphics();
            g.setColor(fill); // what camera shake uncovers at the edges
            g.fillRect(0, 0, big, big);
            g.translate(random.nextDouble(-shake, shake) * SUPERSAMPLE, random.nextDouble(-shake, shake) * SUPERSAMPLE);
            g.scale(1 / aspect, 1); // the camera's wide frame squeezed into the model's square frame
            g.drawImage(backdrop, 0, 0, null);
            ActionRenderer.draw(g, figure, t, backdrop.getWidth(), backdrop.getHeight());
            g.dispose();
            downsample(canvas, spec, out, i * spec.frameBytes());
        }
        return out;
    }

    /** Box-filters the supersampled canvas into one frame and adds sensor noise. */
    private void downsample(BufferedImage canvas, InputSpec spec, byte[] out, int offset) {
        byte[] src = ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
        int big = canvas.getWidth();
        int area = SUPERSAMPLE * SUPERSAMPLE;
        for (int y = 0; y < spec.height(); y++) {
            for (int x = 0; x < spec.width(); x++) {
                int sum = 0;
                for (int dy = 0; dy < SUPERSAMPLE; dy++) {
                    int row = (y * SUPERSAMPLE + dy) * big + x * SUPERSAMPLE;
                    for (int dx = 0; dx < SUPERSAMPLE; dx++) {
                        sum += src[row + dx] & 0xff;
                    }
                }
                double v = (double) sum / area + random.nextGaussian() * noise;
                out[offset + y * spec.width() + x] = (byte) Backdrop.clamp((int) Math.round(v));
            }
        }
    }

    private static int meanGrey(BufferedImage img) {
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        long sum = 0;
        for (byte b : px) {
            sum += b & 0xff;
        }
        return (int) (sum / px.length);
    }
}
