package io.argus.models.action;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Families of static backgrounds a scene can have. Training uses some families and evaluation
 * holds out another, so that accuracy measures generalisation rather than memorised scenery.
 */
public enum Backdrop {
    /** One flat grey. */
    PLAIN,
    /** A gradient with scattered rectangles (furniture, doors, windows). */
    GRADIENT_BLOCKS,
    /** Smooth random texture (grass, gravel, carpet). */
    VALUE_NOISE,
    /** Floor tiles and wall panels in perspective-free grid lines: held out of training. */
    TILES;

    /** Paints the backdrop on a fresh image; returns it and leaves {@code meanGrey} to the caller. */
    public BufferedImage paint(int width, int height, SplittableRandom r) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        int base = 40 + r.nextInt(176);
        switch (this) {
            case PLAIN -> {
                g.setColor(grey(base));
                g.fillRect(0, 0, width, height);
            }
            case GRADIENT_BLOCKS -> {
                g.setPaint(new GradientPaint(0, 0, grey(base), width, height, grey(clamp(base + r.nextInt(-60, 61)))));
                g.fillRect(0, 0, width, height);
                for (int i = 0, n = 5 + r.nextInt(20); i < n; i++) {
                    g.setColor(grey(clamp(base + r.nextInt(-50, 51))));
                    g.fillRect(r.nextInt(width), r.nextInt(height), width / 30 + r.nextInt(width / 5),
                            height / 30 + r.nextInt(height / 5));
                }
            }
            case VALUE_NOISE -> valueNoise(img, base, 15 + r.nextInt(30), 4 + r.nextInt(12), r);
            case TILES -> {
                g.setColor(grey(base));
                g.fillRect(0, 0, width, height);
                int cell = height / (4 + r.nextInt(8));
                int line = Math.max(1, cell / (6 + r.nextInt(6)));
                g.setColor(grey(clamp(base + (r.nextBoolean() ? 1 : -1) * (20 + r.nextInt(40)))));
                for (int x = r.nextInt(cell); x < width; x += cell) {
                    g.fillRect(x, 0, line, height);
                }
                for (int y = r.nextInt(cell); y < height; y += cell) {
                    g.fillRect(0, y, width, line);
                }
            }
        }
        g.dispose();
        return img;
    }

    private static void valueNoise(BufferedImage img, int base, int amplitude, int cells, SplittableRandom r) {
        int w = img.getWidth();
        int h = img.getHeight();
        double[][] lattice = new double[cells + 2][cells + 2];
        for (double[] row : lattice) {
            for (int i = 0; i < row.length; i++) {
                row[i] = r.nextDouble(-1, 1);
            }
        }
        byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < h; y++) {
            double fy = (double) y / h * cells;
            int iy = (int) fy;
            double ty = smooth(fy - iy);
            for (int x = 0; x < w; x++) {
                double fx = (double) x / w * cells;
                int ix = (int) fx;
                double tx = smooth(fx - ix);
                double top = lattice[iy][ix] * (1 - tx) + lattice[iy][ix + 1] * tx;
                double bottom = lattice[iy + 1][ix] * (1 - tx) + lattice[iy + 1][ix + 1] * tx;
                px[y * w + x] = (byte) clamp((int) Math.round(base + amplitude * (top * (1 - ty) + bottom * ty)));
            }
        }
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }

    static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static Color grey(int v) {
        return new Color(v, v, v);
    }
}
